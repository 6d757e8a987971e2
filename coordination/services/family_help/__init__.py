"""Family Help (docs/domain.md, "Family Help: lead, team and plan"): the lead practitioner (lead), the team around
the family (team), the one family plan with its goals and actions (plan), who works on it and how it changes
(access: every change is a new plan version with its audit event), read models (views).

Reviews, closure, family group decision-making and feedback build on these: a new kind of change is a
`domain.plan.ChangeKind` recorded with `access.new_version` on the plan `access.plan_for_change` locked.
"""
