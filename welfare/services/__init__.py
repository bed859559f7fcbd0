"""Changes to welfare records: cases, the hardship archive and care visits. Every change
of a sensitive record is written to the access log in the same transaction."""

from funds.money import money

from .archive import hardship_exit, hardship_open, hardship_review, hardship_update
from .care import visit_record
from .cases import (
    STEPS,
    WORKFLOW,
    ConcurrentChange,
    case_add_document,
    case_approve,
    case_archive,
    case_create,
    case_may_add_papers,
    case_may_amend,
    case_may_receive_paper,
    case_may_waive,
    case_next_steps,
    case_receive_paper,
    case_reject,
    case_update,
    case_waive_paper,
    case_workshop_review,
    checklist,
    papers_missing,
)

__all__ = [
    "STEPS",
    "WORKFLOW",
    "ConcurrentChange",
    "case_add_document",
    "case_approve",
    "case_archive",
    "case_create",
    "case_may_add_papers",
    "case_may_amend",
    "case_may_receive_paper",
    "case_may_waive",
    "case_next_steps",
    "case_receive_paper",
    "case_reject",
    "case_update",
    "case_waive_paper",
    "case_workshop_review",
    "checklist",
    "hardship_exit",
    "hardship_open",
    "hardship_review",
    "hardship_update",
    "money",
    "papers_missing",
    "visit_record",
]
