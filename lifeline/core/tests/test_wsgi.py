"""The WSGI entry point: a request's environ keeps what the request brought, not the process's secrets."""

from lifeline.wsgi import without_process_environment


def test_the_process_environment_does_not_reach_the_request(monkeypatch):
    monkeypatch.setenv("LIFELINE_PRETEND_SECRET", "s3cret")
    monkeypatch.setenv("DATABASE_URL_PRETEND", "postgres://user:password@db/lifeline")
    seen = {}

    def inner(environ, start_response):
        seen.update(environ)
        return [b""]

    app = without_process_environment(inner)
    app(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/healthz",
            "HTTP_X_PRETEND": "kept",
            "LIFELINE_PRETEND_SECRET": "s3cret",
            "DATABASE_URL_PRETEND": "postgres://user:password@db/lifeline",
            "wsgi.url_scheme": "https",
        },
        lambda status, headers: None,
    )
    assert "LIFELINE_PRETEND_SECRET" not in seen and "DATABASE_URL_PRETEND" not in seen
    assert (
        seen["HTTP_X_PRETEND"] == "kept"
        and seen["PATH_INFO"] == "/healthz"
        and seen["wsgi.url_scheme"] == "https"
    )
