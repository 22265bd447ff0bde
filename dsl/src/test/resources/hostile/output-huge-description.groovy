// expect: MiB of text || MiB of memory
def s = 'x'
30.times { s = s + s }
job('a') { description s }
