// expect: MiB of memory || took longer than
def m = [:]
(1..2000000000).each { m[it] = 'value' + it }
