// expect: calling 'parallelStream' on
def l = [1, 2, 3]
l.parallelStream().forEach { job('a') { } }
