"""Nothing saved twice: the idempotency key of every form that creates
something (a double click, a resubmitted form, two tabs). One mechanism for
every app: `EenmaligForm` gives the form its hidden key, `eenmalig_bewaren`
runs the create once per key."""
