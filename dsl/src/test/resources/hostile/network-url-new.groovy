// expect: creating objects with 'new'
def t = new URL('http://127.0.0.1:PORT/').text
