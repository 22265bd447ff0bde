// expect: 'setProperty' is not allowed
[:].setProperty('metaClass', null)
