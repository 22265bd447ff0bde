// expect: sh step is longer than
def s = 'x'
20.times { s = s + s }
job('a') { task('t') { sh s } }
