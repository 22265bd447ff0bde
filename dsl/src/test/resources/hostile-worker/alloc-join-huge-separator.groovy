// expect: used too much memory || MiB of memory || took longer than
def sep = 'x'
22.times { sep = sep + sep }
def list = []
1000000.times { list << '' }
def huge = list.join(sep)
