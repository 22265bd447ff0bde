// expect: Jobfile:2:24: wrong arguments for 'sh' in task: got (int, int); write sh(String)
job('a') { task('b') { sh 1, 2 } }
