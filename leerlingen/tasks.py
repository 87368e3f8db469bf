"""Background work of the student record. Tasks are thin: they take ids (or
nothing), call a service, and are safe to run twice."""
