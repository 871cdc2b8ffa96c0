"""drill: spaced-repetition practice for job-interview questions."""

__version__ = "0.1.0"
