// expect: MiB of memory
def s = 'x'
40.times { s = "$s$s" }
job('a') { task('t') { sh s } }
