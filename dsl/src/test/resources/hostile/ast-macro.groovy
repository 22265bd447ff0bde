// expect: unknown word 'macro'
def expr = macro { job('x') { } }
job('a') { task('t') { sh 'true' } }
