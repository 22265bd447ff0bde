// expect: creating objects with 'new'
def s = new Socket('127.0.0.1', PORT)
