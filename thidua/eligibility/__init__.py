"""The eligibility engine: who meets the standard of which title or form, under the rules of a date.

Plain Python (no Django): rules are data files under `data/`, read by `rulebook.py`; the condition
building blocks are in `conditions.py`; `engine.py` evaluates; `bonus.py` computes bonus amounts;
`cli.py` is the `thidua eligibility` command. See docs/eligibility.md.
"""

from thidua.eligibility.engine import ELIGIBLE, INELIGIBLE, NEEDS_REVIEW, Evaluator, Result, check, evaluate
from thidua.eligibility.rulebook import Library, RulebookError, load_library

__all__ = [
    "ELIGIBLE",
    "INELIGIBLE",
    "NEEDS_REVIEW",
    "Evaluator",
    "Library",
    "Result",
    "RulebookError",
    "check",
    "evaluate",
    "load_library",
]
