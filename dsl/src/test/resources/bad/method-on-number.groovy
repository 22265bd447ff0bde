// expect: Jobfile:2:35: 'foo' cannot be called on a number with ()
job('a') { task('b') { def x = 1; x.foo(); sh 'x' } }
