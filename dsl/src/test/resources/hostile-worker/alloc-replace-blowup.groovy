// expect: used too much memory || MiB of memory || took longer than
def s = 'a'
16.times { s = s + s }
def t = s.replace('a', s)
