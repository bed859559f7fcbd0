from tests.congresses.conftest import workshop_term, ws_a  # noqa: F401
