import pytest

from membership import services


@pytest.fixture
def link_a1(org, hq):
    """A joining link of group A1 (workshop union A)."""
    return services.join_link_create(by=hq, workshop=org.a, group=org.A1)


@pytest.fixture
def link_a(org, hq):
    """A joining link of workshop union A: the applicant chooses the group."""
    return services.join_link_create(by=hq, workshop=org.a)


def application_data(**changes):
    """What an applicant types into the public form."""
    data = {
        "employee_no": "88001",
        "name": "周晓明",
        "gender": "M",
        "birth_date": "1996-03-08",
        "position": "锅炉运行工",
        "phone": "13912345678",
        "statement": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def submit(*, by, group, **changes):
    """An application entered through the service (a leader's or the office's)."""
    details = {
        "employee_no": "88001",
        "name": "周晓明",
        "gender": "M",
        "statement": True,
    }
    details.update(changes)
    return services.application_submit(by=by, group=group, **details).application
