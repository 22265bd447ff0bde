// expect: creating objects with 'new'
def s = new java.net.Socket('127.0.0.1', PORT)
