// expect: Jobfile:2:
job('a') { env A: { 'x' }; task('b') { sh 'x' } }
