"""Authentication: staff sessions (flask-login) and bearer credentials for the JSON API."""
