// expect: MiB of memory
def l = [1, 2, 3]
40.times { l = l + l }
