"""select() functions. Every read takes the actor and scopes the query by what it may see;
repositories flush, never commit."""
