"""The answer coach: observable, explainable feedback on an answer the user typed.

Pure functions over text and a `Question`: no I/O, no clock, standard library only, so the
command line loads it in a few milliseconds. Every finding carries the words of the answer
that show it. docs/answer-coach.md describes each rule and its measured precision.

- `text`: sentences and tokens with their offsets, normal forms for matching.
- `fillers`: fillers and hedges, each judged in its context.
- `star`: situation, task, action, result and learning, with the sentence for each.
- `specifics`: numbers, names and time frames; pronouns.
- `cues`: the deck's quoted cue phrases (red flags, don'ts) found in an answer, negation aware.
- `dos`: which of the question's dos an answer appears to cover.
- `rubric`: the rubric rows and the suggested rating.
- `insights`: `analyse`, which puts it all together as one `Insights`.
"""
