// expect: MiB of memory || took longer than
def l = (1..2000000000).collect { it }
