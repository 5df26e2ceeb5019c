"""Capacity building: events, their sessions and participants, attendance, certificates with QR
verification, and (later) surveys, knowledge tests and training-of-trainers cascades.

This app owns the shared engines "people at events", "certificates" and "questions and assessments"
(DESIGN.md): eLearning and the indicators use them from here."""
