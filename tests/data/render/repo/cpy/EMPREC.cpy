      * EMPREC - employee master record, 80 bytes.
       01  EMP-RECORD.
           05  EMP-ID              PIC X(6).
           05  EMP-NAME            PIC X(30).
           05  EMP-TYPE            PIC X.
               88  EMP-HOURLY      VALUE 'H'.
               88  EMP-SALARIED    VALUE 'S' 'X'.
           05  EMP-HOURS           PIC 9(3)V9.
           05  EMP-RATE            PIC 9(3)V99.
           05  EMP-SALARY          PIC 9(7)V99.
           05  FILLER              PIC X(25).
