"""STAR structure: which sentences set the situation, state the task, describe actions and
report a result (and a lesson), each found by the words that mark it.

A sentence can show more than one part ("I cut the wait from 11 days to 2" is an action and
a result). Numbers count as a measured result only in a result sentence after the first
action, so "a team of 12" in the setting never does.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from drill.core.coach.specifics import has_measure
from drill.core.coach.text import Answer, Sentence, words
from drill.core.model import Question

PARTS = ("situation", "task", "action", "result")

_BEHAVIORAL_PROMPT = re.compile(
    r"\b(?:tell me about a time|tell me about an? (?:occasion|situation|moment|project|"
    r"decision|mistake|conflict)|describe a (?:time|situation|project|moment)|"
    r"give (?:me )?an example|have you ever|walk me through a (?:time|situation|project)|"
    r"share an example|talk me through a time|what is your greatest|what's your greatest|"
    r"tell me about your (?:greatest|biggest|proudest))",
    re.IGNORECASE,
)


def applies(question: Question) -> bool:
    """STAR fits behavioral questions: the deck's type says so, or (in decks without types)
    the question asks for a time you did something.
    """
    if question.type:
        return question.type == "behavioral"
    tags = {tag.lower() for tag in question.tags}
    return bool(
        tags & {"behavioral", "behavioural", "star"}
        or any(_BEHAVIORAL_PROMPT.search(text) for text in question.phrasings)
    )


def _cues(*patterns: str) -> re.Pattern[str]:
    # Matched against lower-cased text: without IGNORECASE the engine is four times faster.
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_UNITS = r"(?:days?|weeks?|months?|quarters?|years?|hours?|minutes?|fortnight)"
_FEW = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|several|a few)"

SITUATION = _cues(
    r"\b(?:when|while|whilst|back when) (?:i|we) (?:was|were|worked|joined|started|moved|"
    r"became|ran|led|had)\b",
    r"\b(?:at|in) (?:my|our|a|the) (?:last|previous|old|current|first|former|new)? ?(?:\w+ )?"
    r"(?:job|company|role|employer|firm|school|university|college|store|shop|restaurant|hotel|"
    r"bank|agency|practice|hospital|clinic|office|site|team|department|council|charity|"
    r"warehouse|startup|studio|centre|center|dealership)\b",
    r"\b(?:last|this|that) (?:year|spring|summer|autumn|fall|winter|month|quarter|season|"
    r"january|february|march|april|may|june|july|august|september|october|november|december)\b",
    r"\b(?:in|during|by) (?:19|20)\d\d\b",
    r"\b\w+ (?:years?|months?|weeks?) ago\b",
    r"\bback in\b",
    r"\bin my (?:first|second|third|last|final|previous|current|old|early) ",
    r"\bi (?:was|worked|work|am|'m|have been|'ve been) (?:as|at|in|on|for) ",
    r"\bi (?:was|worked as) (?:a|an|the) ",
    r"\bi was (?:working|running|managing|leading|studying|volunteering|waiting|serving|"
    r"coordinating|building|teaching|covering)\b",
    r"\bwhere i (?:work|worked|was|waited|volunteer|volunteered)\b",
    r"\bthere (?:was|were)\b",
    r"\b(?:we|our team|the team|the company|our company|the business|the project) "
    r"(?:had|was|were)\b",
    r"\bat the time\b",
    r"\bduring my\b",
    r"\bi (?:joined|became|moved into|took over)\b",
)
TASK = _cues(
    r"\bmy (?:job|task|role|goal|aim|responsibility|brief|part|remit|challenge|mission|"
    r"assignment) (?:was|is|there was)\b",
    r"\bi was (?:responsible|asked|tasked|in charge|given|charged|brought in|hired|supposed|"
    r"expected|the one)\b",
    r"\b(?:i|we) (?:needed|had|wanted|set out|was trying|were trying|was meant|decided) to\b",
    r"\bthe (?:goal|aim|task|challenge|problem|objective|issue|brief|target|job) (?:was|is)\b",
    r"\bup to me\b",
    r"\b(?:asked|told|wanted|needed|expected) me to\b",
    r"\b(?:was|were) due (?:on|by|to|in|at)\b",
    r"\bi was the \w+ (?:who|that)\b",
    r"\bfell to me\b",
    r"\bi took (?:on|charge|over|responsibility)\b",
    r"\bi volunteered to\b",
    r"\b(?:looked|look) after\b",
    r"\bwas to (?:get|find|make|fix|cut|build|reduce|deliver|improve|sort|bring|run|move)\b",
    r"\bi (?:was|am) in charge of\b",
    r"\bmy (?:part|side)\b",
)
RESULT = _cues(
    r"\bas a result\b",
    r"\bin the end\b",
    r"\b(?:the|a|our) (?:result|outcome|upshot)\b",
    r"\bwhich meant\b",
    r"\bended up\b",
    r"\bby the end\b",
    rf"\b(?:within|after|in) {_FEW} {_UNITS}\b",
    r"\bgrew\b(?! up)",
    r"\b(?:fell|dropped|rose|increased|decreased|improved|reduced|halved|doubled|tripled|"
    r"saved|recovered|raised|shrank|climbed|jumped|came down|went up|went down|cut)\b",
    r"\b(?:went|go|gone|came|moved) from\b",
    r"\bdown to\b",
    r"\b(?:won|hit|beat|exceeded|achieved|delivered|finished|launched|shipped|completed|"
    r"succeeded|passed|renewed|accepted|adopted|approved|signed|overruled|chose|agreed|"
    r"submitted|left)\b",
    r"\bwent (?:live|out|well|fine|ok|okay|back|ahead)\b",
    r"\bon time\b",
    rf"\b{_FEW} {_UNITS} (?:late|early)\b",
    r"\b(?:still|no longer|never again|since then)\b",
    r"\bit (?:worked|paid off|went)\b",
    r"\b(?:calmed|settled) down\b",
    r"\bdied off\b",
    r"\bgot (?:a|an|the) (?:\w+ )?(?:mark|grade|score|rating|review|response|result|offer)\b",
)
# A hedge or filler between "I" and the verb does not unsay it: "I sort of learned to...".
_SOFT = r"(?:(?:sort of|kind of|guess i|think i|basically|really|actually|finally|quickly) )?"
LEARNING = _cues(
    rf"\bi {_SOFT}(?:learned|learnt|realised|realized) (?:that|how|to|a lot|something)\b",
    r"\bwhat i learned\b",
    r"\b(?:taught|showed|teaches|shows) me\b",
    r"\blessons?\b",
    r"\bsince then\b",
    r"\bnext time\b",
    r"\blooking back\b",
    r"\bin hindsight\b",
    r"\bi (?:would|'d|should) have\b",
    r"\bi(?:'d| would) (?:do|handle|approach) (?:it|that|things) differently\b",
    r"\bnow i (?:always|make sure|run|check|tell|put|read|train|forecast|test|ask|plan|build|"
    r"keep|send|try|write|start|set)\b",
    r"\bi now\b",
    r"\bwhat i (?:took|take) (?:away|from)\b",
    r"\bin how i work\b",
    r"\bfrom then on\b",
    r"\bgoing forward\b",
    r"\bthe (?:thing|biggest thing|main thing|big thing) i (?:learned|learnt|took)\b",
)

# Verbs whose past tense ends in -ed but that report a state of mind, not a step taken.
_STATIVE = frozenset(
    words(
        "needed wanted liked loved hated seemed believed hoped preferred wished assumed "
        "worried supposed expected enjoyed cared appeared realised realized owned used "
        "learned happened struggled panicked waited remained stayed lived"
    )
)
_ACTION_IRREGULAR = frozenset(
    words(
        "built rebuilt wrote rewrote ran set made took led met told spoke sent brought "
        "found began drew gave put got sat went did chose rang taught sold bought kept "
        "held cut paid read spent stood won came drove flew fought shut split sought "
        "threw undertook oversaw broke caught dealt dug fed hung laid let lit shook stuck "
        "struck swept rode sent understood withdrew left pulled"
    )
)
# Words that may sit between the subject and its verb: "I then called", "we quickly agreed".
_BETWEEN = frozenset(
    words(
        "then also first quickly personally immediately just finally eventually later "
        "soon actually carefully had have 've 'd both all myself directly straight still "
        "kind sort of"
    )
)
# Habits and hypotheticals are not steps of a story: "If something bothers me I just let it
# go", "I always plan ahead".
_HABITUAL = re.compile(
    r"^\W*(?:if|whenever|unless)\b|\b(?:always|usually|normally|generally|tend to|whenever|"
    r"every time)\b",
    re.IGNORECASE,
)


def _is_action_verb(word: str) -> bool:
    if word in _ACTION_IRREGULAR:
        return True
    return word.endswith("ed") and len(word) > 4 and word not in _STATIVE


def agents(answer: Answer, sentence: Sentence) -> tuple[bool, bool]:
    """(an "I" action, a "we" action) in this sentence: a subject followed by a verb of doing
    in the past ("I rebuilt", "we then agreed", "I've trained").
    """
    tokens = answer.sentence_tokens(sentence)
    mine = ours = False
    for k, token in enumerate(tokens):
        subject = token.lower.split("'")[0]
        if subject not in ("i", "we") or token.lower in ("i'm", "we're", "i'll", "we'll"):
            continue
        for j in range(k + 1, min(k + 4, len(tokens))):
            word = tokens[j].lower
            if _is_action_verb(word):
                if subject == "i":
                    mine = True
                else:
                    ours = True
                break
            if word not in _BETWEEN and not word.endswith("ly"):
                break
    return mine, ours


@dataclass(frozen=True, slots=True)
class Part:
    found: bool
    sentence: Sentence | None = None

    @property
    def evidence(self) -> str:
        return self.sentence.text if self.sentence is not None else ""


@dataclass(frozen=True, slots=True)
class Star:
    applies: bool
    situation: Part
    task: Part
    action: Part
    result: Part
    learning: Part
    action_share: float
    result_measured: bool
    personal_action: Part  # the first sentence where "I" did something
    we_action: bool

    def part(self, name: str) -> Part:
        return {
            "situation": self.situation,
            "task": self.task,
            "action": self.action,
            "result": self.result,
            "learning": self.learning,
        }[name]

    @property
    def found(self) -> list[str]:
        return [name for name in PARTS if self.part(name).found]


_NONE = Part(False)


def _marked(pattern: re.Pattern[str], lowered: str, starts: list[int]) -> set[int]:
    """The sentences in which `pattern` matches: one scan of the whole answer, not one a
    sentence (the answer is read at every keystroke's pace in a review).
    """
    return {bisect_right(starts, m.start()) - 1 for m in pattern.finditer(lowered)}


def analyse(answer: Answer, question: Question) -> Star:
    sentences = answer.sentences
    if not sentences:
        return Star(applies(question), _NONE, _NONE, _NONE, _NONE, _NONE, 0.0, False, _NONE, False)
    lowered = [s.text.lower() for s in sentences]
    whole = answer.text.lower()
    starts = [s.start for s in sentences]
    situation_marks = _marked(SITUATION, whole, starts)
    task_marks = _marked(TASK, whole, starts)
    result_marks = _marked(RESULT, whole, starts)
    learning_marks = _marked(LEARNING, whole, starts)
    habitual = {i for i, text in enumerate(lowered) if _HABITUAL.search(text)}
    acting = [
        (False, False) if i in habitual else agents(answer, s) for i, s in enumerate(sentences)
    ]
    mine = [i for i, (me, _) in enumerate(acting) if me]
    ours = [i for i, (_, us) in enumerate(acting) if us]
    learning = sorted(learning_marks)
    first_action = min(mine + ours) if mine or ours else len(sentences)
    # The setting comes before the story moves on: the first sentences, up to the first
    # action, or the first third of a long answer.
    setting_end = max(first_action, 2, len(sentences) // 3)
    situation = [i for i in sorted(situation_marks) if i < setting_end and i not in learning]
    if not situation and first_action < len(sentences):
        # A story opens on its setting even without a marker: "My old manager wanted
        # everyone to log calls in a spreadsheet."
        opening = next((i for i, s in enumerate(sentences) if s.word_count >= 5), None)
        if opening is not None and opening < first_action and opening not in learning:
            situation = [opening]
    task = [i for i in sorted(task_marks) if i not in learning and i not in habitual]
    # A result is what came of the actions: after the first one.
    result = [i for i in sorted(result_marks) if i > first_action and i not in habitual]
    if (
        not result
        and first_action < len(sentences)
        and first_action in result_marks
        and has_measure(answer, sentences[first_action])
    ):
        result = [first_action]  # "I cut the wait from eleven days to two" in one sentence
    actions = [i for i in sorted(set(mine + ours)) if i not in learning]
    measured = [i for i in result if has_measure(answer, sentences[i])]
    action_words = sum(sentences[i].word_count for i in actions if i not in result or i in mine)
    share = action_words / answer.word_count if answer.word_count else 0.0

    def part(indices: list[int], prefer: list[int] | None = None, *, last: bool = False) -> Part:
        """The evidence: the first sentence found (the last, for a result, which closes a
        story), one of `prefer` when there is one.
        """
        if not indices:
            return _NONE
        preferred = [i for i in indices if prefer and i in prefer] or indices
        return Part(True, sentences[preferred[-1] if last else preferred[0]])

    # The sentence that sets the scene ("Last spring I ran the launch") is a poor example of
    # an action when the story has others.
    setting = situation[0] if situation else None
    shown_actions = [i for i in actions if i != setting] or actions
    return Star(
        applies=applies(question),
        situation=part(situation),
        task=part(task),
        action=part(shown_actions, mine),
        result=part(
            [i for i in result if i not in learning] or result,
            [i for i in measured if i not in learning] or measured,
            last=True,
        ),
        learning=part(learning),
        action_share=round(share, 2),
        result_measured=bool(measured),
        personal_action=part(mine),
        we_action=bool(ours),
    )
