"""The family's own view: invitations and exclusions (access), signing in (sign_in: a FamilySignIn protocol
and the local email + one-time code implementation) and what a family member reads (pages).

A family member's Actor has kind FAMILY, their person id, their family id and the capacity they were invited in.
`domain.permissions.may` grants a family actor nothing, so every staff service refuses them; the family pages
call only the functions here, which scope every read to the actor's own family and audit it with channel
`family`.
"""
