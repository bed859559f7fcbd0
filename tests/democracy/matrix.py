"""民主管理 for the permission matrix (tests/hardening/test_permission_matrix.py): the
section's page opens for every login with a page of the section (a member's login has its
suggestions and the notice board); confirming a year's star ratings is HQ's."""

HQ = {"hq", "welfare_hq", "hq_evaluator"}
EVERY_LOGIN = HQ | {
    "workshop_own",
    "workshop_other",
    "leader_own",
    "leader_other",
    "evaluator",
    "multi_own",
    "inspector",
    "member",
}

RULES = {
    "democracy:overview": ("get", lambda w: "/democracy/", None, EVERY_LOGIN),
    "democracy:confirm": ("post", lambda w: "/democracy/2025/confirm/", {}, HQ),
}

MEMBER_PAGES = {"democracy:overview"}
