// expect: 'owner' is not allowed
job('a') { task('t') { def o = owner.owner } }
