"""台账 binders for the permission matrix (tests/hardening/test_permission_matrix.py).

The binders open on what UnionGroup / WorkshopUnion `restrict(user, VIEW)` gives: a
group's records to those who read them (its own part, evaluators, its panel's
inspector); a workshop union to those whose scope holds it or one of its groups. The
year is the world's title's (last year), so the Word files have a title to print."""

HQ = {"hq", "welfare_hq", "hq_evaluator"}
WORKSHOPS = {"workshop_own", "workshop_other", "multi_own", "inspector"}
# Everyone who reads some group's records: the choosing page.
READERS = HQ | WORKSHOPS | {"leader_own", "leader_other", "evaluator"}
# Those who read A1's records (and so A's workshop union, through A1).
A1_READERS = HQ | {"workshop_own", "leader_own", "multi_own", "evaluator", "inspector"}


def _a1(w, tail):
    return f"/binders/groups/{w.org.A1.pk}/{w.title.year}{tail}"


RULES = {
    "binders:index": ("get", lambda w: "/binders/", None, READERS),
    "binders:group_pdf": ("get", lambda w: _a1(w, ".pdf"), None, A1_READERS),
    "binders:naming_docx": ("get", lambda w: _a1(w, "/naming.docx"), None, A1_READERS),
    "binders:certificate_docx": ("get", lambda w: _a1(w, "/certificate.docx"), None, A1_READERS),
    "binders:workshop_zip": (
        "post",
        lambda w: f"/binders/workshops/{w.org.a.pk}/{w.title.year}/",
        {},
        A1_READERS,
    ),
}
