// expect: 'getDelegate' is not allowed
job('a') { task('t') { getDelegate().sh('x') } }
