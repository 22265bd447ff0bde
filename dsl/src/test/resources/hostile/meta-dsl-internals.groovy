// expect: unknown word 'evaluation'
job('a') {
  evaluation().cancel()
}
