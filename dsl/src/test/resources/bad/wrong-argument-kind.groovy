// expect: Jobfile:2:24: wrong arguments for 'sh' in task: got a number, a number; write sh('…')
job('a') { task('b') { sh 1, 2 } }
