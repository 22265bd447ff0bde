// expect: Unexpected character: '\'
\u006eew File('CANARY').text = 'pwned'
