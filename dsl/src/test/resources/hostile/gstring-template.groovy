// expect: single quotes
job('a') {
  task('t') { sh "echo ${{ params.X }}" }
}
