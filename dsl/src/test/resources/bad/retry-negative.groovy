// expect: Jobfile:5:5: retry of task 'b' must be between 0 and 10, got -1
job('a') {
  task('b') {
    sh 'x'
    retry -1
    needs 'biuld'
  }
  task('build') { sh 'y' }
}
