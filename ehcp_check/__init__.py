"""ehcp-check: did an English council meet the legal deadlines for EHC plans?

Library use::

    from datetime import date
    import ehcp_check as ec

    result = ec.check_case(
        ec.CaseFacts(request_date=date(2024, 1, 1), final_date=date(2024, 5, 21)),
        ec.Settings(as_of=date(2024, 6, 1)),
    )
    result.record["status"]  # 'late'

Names are imported on first use, so ``import ehcp_check`` (and the command line's
``--help``) does not pay for pandas until it is needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "CaseFacts": "api",
    "CaseResult": "api",
    "case_table": "api",
    "check_case": "api",
    "Settings": "engine",
    "evaluate": "engine",
    "DataIssue": "model",
    "DayCount": "model",
    "Decision": "model",
    "Field": "model",
    "Outcome": "model",
    "Status": "model",
    "EXCEPTIONS": "rules",
    "RULES": "rules",
    "Closure": "rules",
    "ExceptionKind": "rules",
    "RuleCode": "rules",
    "classify_exception": "rules",
    "read_totals": "ingest.totals",
    "TotalsResult": "ingest.totals",
}

__all__ = ["__version__", *sorted(_EXPORTS)]

if TYPE_CHECKING:
    from .api import CaseFacts as CaseFacts
    from .api import CaseResult as CaseResult
    from .api import case_table as case_table
    from .api import check_case as check_case
    from .engine import Settings as Settings
    from .engine import evaluate as evaluate
    from .ingest.totals import TotalsResult as TotalsResult
    from .ingest.totals import read_totals as read_totals
    from .model import DataIssue as DataIssue
    from .model import DayCount as DayCount
    from .model import Decision as Decision
    from .model import Field as Field
    from .model import Outcome as Outcome
    from .model import Status as Status
    from .rules import EXCEPTIONS as EXCEPTIONS
    from .rules import RULES as RULES
    from .rules import Closure as Closure
    from .rules import ExceptionKind as ExceptionKind
    from .rules import RuleCode as RuleCode
    from .rules import classify_exception as classify_exception


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ehcp_check' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
