// expect: 'wait' is not allowed
def lock = [:]
lock.wait()
