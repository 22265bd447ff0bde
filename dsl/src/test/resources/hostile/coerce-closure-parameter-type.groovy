// expect: type 'File' is not allowed
def write = { File f -> f.text = 'pwned' }
write('CANARY')
