"""Let GOV.UK's one inline script through the strict Content-Security-Policy, by its hash.

govuk-frontend-jinja's template.html writes `<script>document.body.className += ' js-enabled' …</script>`
outside any block, so it cannot be overridden. Instead of weakening `script-src` (no 'unsafe-inline',
no nonce machinery) we allow exactly that script's SHA-256. Everything else stays as create_app set it.
"""
from __future__ import annotations

import base64
import hashlib

from flask import Response

GOVUK_INLINE_SCRIPT = (
    "document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype "
    "? ' govuk-frontend-supported' : '');"
)
SCRIPT_HASH = "'sha256-" + base64.b64encode(hashlib.sha256(GOVUK_INLINE_SCRIPT.encode()).digest()).decode() + "'"
HEADER = "Content-Security-Policy"


def allow_govuk_template_script(response: Response) -> Response:
    policy = response.headers.get(HEADER)
    if not policy or response.mimetype != "text/html" or SCRIPT_HASH in policy:
        return response
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    for i, directive in enumerate(directives):
        if directive.startswith("script-src ") or directive == "script-src":
            directives[i] = f"{directive} {SCRIPT_HASH}"
            break
    response.headers[HEADER] = "; ".join(directives)
    return response
