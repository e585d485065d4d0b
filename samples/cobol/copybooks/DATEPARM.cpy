      *>===============================================================*
      *> DATEPARM - PARAMETER BLOCK FOR CALL 'DATEUTIL'.               *
      *>            COPY DATEPARM REPLACING ==:TAG:== BY ==XX==.       *
      *>            CALLERS USE THEIR OWN PREFIX, DATEUTIL USES IN.    *
      *>   FUNCTION V = VALIDATE DATE-1 (CCYYMMDD)                     *
      *>            B = DAYS FROM DATE-1 TO DATE-2 INTO DAY-COUNT      *
      *>            A = DATE-1 PLUS DAY-COUNT DAYS INTO DATE-RESULT    *
      *> 2016-09-12 GNU PORT: COMMENTS WRITTEN AS *> SO THAT THE       *
      *>            FREE-FORMAT PROGRAMS (LOANDLQ) CAN COPY IT.        *
      *>===============================================================*
       01  :TAG:-DATE-PARMS.
           05  :TAG:-DATE-FUNCTION     PIC X(01).
               88  :TAG:-FN-VALIDATE   VALUE 'V'.
               88  :TAG:-FN-DAYS-BETWEEN
                                       VALUE 'B'.
               88  :TAG:-FN-ADD-DAYS   VALUE 'A'.
           05  :TAG:-DATE-1            PIC 9(08).
           05  :TAG:-DATE-2            PIC 9(08).
           05  :TAG:-DAY-COUNT         PIC S9(07) COMP-3.
           05  :TAG:-DATE-RESULT       PIC 9(08).
           05  :TAG:-DATE-RC           PIC X(02).
               88  :TAG:-DATE-OK       VALUE '00'.
               88  :TAG:-DATE-BAD-MONTH
                                       VALUE '01'.
               88  :TAG:-DATE-BAD-DAY  VALUE '02'.
               88  :TAG:-DATE-BAD-YEAR VALUE '03'.
               88  :TAG:-DATE-BAD-FUNC VALUE '99'.
