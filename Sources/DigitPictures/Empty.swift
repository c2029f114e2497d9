// placeholder so the module builds until the pictures are added
