"""Pure rules: who may do what, identifiers, templates, consent states, clocks. No Flask, no SQLAlchemy."""
