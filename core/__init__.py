"""Plain helpers below every app: no models, and no imports of our apps."""
