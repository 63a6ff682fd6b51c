/** A dataset's id (`ds_` and 6 to 20 lower-case letters or digits): also its table's name, so checked wherever one arrives. */
export const DATASET_ID = /^ds_[a-z0-9]{6,20}$/;
