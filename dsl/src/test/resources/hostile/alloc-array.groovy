// expect: arrays are not allowed
def a = new byte[1 << 30]
