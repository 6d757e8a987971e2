"""Views by journey: session (sign in/out), families, assessment, voice. Each parses, calls, renders."""
