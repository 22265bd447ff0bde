// expect: type 'File' is not allowed
File f = 'CANARY'
f.text = 'pwned'
