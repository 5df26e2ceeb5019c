"""Real servers on loopback for tests and benchmarks, never part of the product package: an SMS
gateway, a Web Push service and an SMTP server. Each starts on a free port as a context manager."""
