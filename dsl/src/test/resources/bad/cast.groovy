// expect: Jobfile:2:
job('a') { task('b') { sh((String) 1) } }
