      *>===============================================================*
      *> COMWORK  - COMMON BATCH WORK AREA: SWITCHES, RUN DATE,        *
      *>            RECORD COUNTS AND ABEND FIELDS. COPY INTO          *
      *>            WORKING-STORAGE OF EVERY NIGHTLY BATCH PROGRAM.    *
      *> 2016-09-12 GNU PORT: COMMENTS WRITTEN AS *> SO THAT THE       *
      *>            FREE-FORMAT PROGRAMS (LOANDLQ) CAN COPY IT.        *
      *>===============================================================*
       01  WS-COMMON-WORK.
           05  WS-EOF-SW               PIC X(01) VALUE 'N'.
               88  WS-EOF              VALUE 'Y'.
               88  WS-NOT-EOF          VALUE 'N'.
           05  WS-RETURN-CODE          PIC S9(04) COMP VALUE ZERO.
           05  WS-REASON-CODE          PIC X(03) VALUE SPACES.
           05  WS-RUN-DATE.
               10  WS-RUN-YYYY         PIC 9(04).
               10  WS-RUN-MM           PIC 9(02).
               10  WS-RUN-DD           PIC 9(02).
           05  WS-RUN-DATE-N REDEFINES WS-RUN-DATE
                                       PIC 9(08).
           05  WS-RECORDS-READ         PIC S9(09) COMP-3 VALUE ZERO.
           05  WS-RECORDS-WRITTEN      PIC S9(09) COMP-3 VALUE ZERO.
           05  WS-RECORDS-REJECTED     PIC S9(09) COMP-3 VALUE ZERO.
           05  WS-FILE-STATUS          PIC X(02) VALUE '00'.
               88  WS-FS-OK            VALUE '00'.
               88  WS-FS-EOF           VALUE '10'.
               88  WS-FS-NOTFND        VALUE '23'.
           05  WS-ABEND-CODE           PIC S9(09) COMP VALUE ZERO.
           05  WS-ABEND-TIMING         PIC S9(09) COMP VALUE 1.
           05  WS-DISPLAY-COUNT        PIC Z,ZZZ,ZZ9.
